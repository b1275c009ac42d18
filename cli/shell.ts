// Reproduction commands are printed for copying into a shell, so arguments are quoted when needed.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(arg: string): string {
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function command(...args: readonly string[]): string {
  return ['ksim', ...args].map(shellQuote).join(' ');
}
