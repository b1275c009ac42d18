// Every relative link of the README and docs/ resolves: the file exists in the repository and, for
// `file.md#anchor`, the file has a heading with that anchor (GitHub's slugs). The README may not
// send readers to files the repository does not hold (KAFKA.md, DESIGN.md are not in it).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));
}

/** Links outside code: `[text](target)` and `![alt](target)`, with their line. */
function linksOf(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, i) => {
    if (text.startsWith('```')) fenced = !fenced;
    if (fenced) return;
    const prose = text.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) links.push({ target: m[1] ?? '', line: i + 1 });
  });
  return links;
}

describe('links in the README and docs', () => {
  it('computes GitHub anchors', () => {
    expect(slug("ksim's own anomalies")).toBe('ksims-own-anomalies');
    expect(slug('Protocol switches and `protocol.version`')).toBe('protocol-switches-and-protocolversion');
    expect(slug('`faults`: what goes wrong')).toBe('faults-what-goes-wrong');
  });

  it.each(FILES)('%s: every relative link resolves', (file) => {
    const markdown = readFileSync(join(ROOT, file), 'utf8');
    const broken: string[] = [];
    for (const { target, line } of linksOf(markdown)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path = '', anchor] = target.split('#');
      const resolved = path === '' ? join(ROOT, file) : join(ROOT, dirname(file), path);
      if (!resolved.startsWith(ROOT) || !existsSync(resolved)) {
        broken.push(`${file}:${line}: ${target} (no ${relative(ROOT, resolved)})`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push(`${file}:${line}: ${target} (no heading #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(FILES)('%s names no file the repository lacks (KAFKA.md, DESIGN.md)', (file) => {
    const markdown = readFileSync(join(ROOT, file), 'utf8');
    const mentions = [...markdown.matchAll(/\b[A-Z][A-Z]+\.md\b/g)].map((m) => m[0]).filter((name) => name !== 'README.md' && !existsSync(join(ROOT, name)));
    expect(mentions).toEqual([]);
  });
});
