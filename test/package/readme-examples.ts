// The README's examples that the package test runs. Each is marked by the line before its code
// fence, `<!-- package-test: FILE -->`, and written to FILE in the scratch project as it stands in
// the README, so the README shows exactly what is run there; `<!-- package-test-output: FILE -->`
// marks the output the README shows for FILE, which the test compares with what it printed.

export interface ReadmeExample {
  /** The file name in the scratch project. */
  readonly file: string;
  readonly code: string;
}

export function readmeExamples(readme: string): ReadmeExample[] {
  const marked = /<!-- package-test: (\S+) -->\n```ts\n([\s\S]*?)\n```/g;
  return [...readme.matchAll(marked)].map((match) => ({ file: match[1] ?? '', code: `${match[2] ?? ''}\n` }));
}

/** The text blocks marked `<!-- package-test-output: FILE -->`, by FILE. */
export function readmeOutputs(readme: string): Map<string, string> {
  const marked = /<!-- package-test-output: (\S+) -->\n```text\n([\s\S]*?)\n```/g;
  return new Map([...readme.matchAll(marked)].map((match) => [match[1] ?? '', match[2] ?? '']));
}
