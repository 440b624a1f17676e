// What an exit code means, in the words a person needs to act on it. The codes 125-127 are
// Docker's own; 128+N is "killed by signal N" by the shell convention.

const MEANINGS: Record<number, string> = {
  0: 'success',
  125: 'Docker could not run the container',
  126: 'the command is not executable',
  127: 'the command was not found in the image',
  137: 'killed (SIGKILL)',
  139: 'segmentation fault',
  143: 'terminated (SIGTERM)',
};

export function exitCodeMeaning(code: number | null, oomKilled = false): string {
  if (code === null) return 'no exit code';
  if (code === 137 && oomKilled) return 'killed: out of memory';
  const known = MEANINGS[code];
  if (known) return known;
  if (code > 128 && code < 160) return `killed by signal ${code - 128}`;
  return 'the action reported an error';
}

export const EXIT_CODE_TABLE: ReadonlyArray<[number, string]> = [
  [0, MEANINGS[0]!],
  [125, MEANINGS[125]!],
  [126, MEANINGS[126]!],
  [127, MEANINGS[127]!],
  [137, 'killed: out of memory when Docker reports OOMKilled, else killed (SIGKILL)'],
  [139, MEANINGS[139]!],
  [143, MEANINGS[143]!],
];
