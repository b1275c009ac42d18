// `ksim presets`: the scenarios that ship with ksim, one line each (name and description).
import { listPresets } from '../../scenario/load.js';
import { EXIT, out, type ExitCode } from '../io.js';

export function presetsCommand(): ExitCode {
  const presets = listPresets();
  const width = Math.max(...presets.map((p) => p.name.length));
  out(presets.map((p) => `${p.name.padEnd(width)}  ${p.description}`.trimEnd()).join('\n'));
  return EXIT.ok;
}
