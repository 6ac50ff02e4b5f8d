/** Words for generated prose: common English, with repeats so that term frequencies mean something. */
export const PARAGRAPH_WORDS = (
  'the council budget deficit parks community mayor vote week members proposed cutting close essential compromise protects ' +
  'treasurer grown million dollars city met discuss new plan team launch release notes friday customers feedback product ' +
  'design review meeting schedule deadline report quarter revenue growth hiring engineers support tickets outage server ' +
  'database migration performance latency users mobile app website marketing campaign sales partners contract legal ' +
  'and of to in for on with that this is was will be are as by it from at an or but not have has had they we our their'
).split(' ');
