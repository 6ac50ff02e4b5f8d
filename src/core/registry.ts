import type { AttachmentKind } from './message.js';
import type { Tool } from './tool.js';

export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  constructor(tools: readonly Tool[]) {
    for (const tool of tools) {
      if (this.#tools.has(tool.name)) throw new Error(`two tools are named ${tool.name}`);
      this.#tools.set(tool.name, tool);
    }
  }

  get(name: string): Tool | undefined {
    return this.#tools.get(name.toLowerCase());
  }

  list(): Tool[] {
    return [...this.#tools.values()];
  }

  /** Tools that read files of this kind, in registration order. */
  readers(kind: AttachmentKind): Tool[] {
    return this.list().filter((tool) => tool.accepts.includes(kind));
  }
}
