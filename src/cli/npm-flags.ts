// `npm create scim-server my-scim --yes --no-install` (without "--") hands --yes and --no-install
// to npm, which keeps them as its own config (npm_config_yes, npm_config_install) and passes us
// only the rest, values of eaten flags included as stray arguments. We see the traces in the
// environment npm gives us and say how to pass them, before doing anything the user turned off.

import { createFlagNames } from './args.js';

export interface EatenFlags {
  /** As the user most likely typed them: --no-install, --framework <value>. */
  flags: string[];
  /** Only --yes, which `npx --yes` also sets for itself: worth a warning, not a stop. */
  onlyYes: boolean;
}

/** npm writes a flag it does not know as "true", and --no-x as "" or "false". */
const BOOLEAN_TRACE = new Set(['true', 'false', '']);
/** Its own configs npm exec exports even when not given, as "": there "" is no trace. */
const EXPORTED_UNSET = new Set(['yes']);

export function eatenByNpm(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): EatenFlags | undefined {
  // pnpm, yarn and bun pass every argument on; only npm keeps flags for itself.
  if (!env.npm_config_user_agent?.startsWith('npm/')) return undefined;
  const given = new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]!.replace(/^no-/, '')));
  const flags: string[] = [];
  let eatenYes = false;
  for (const { name, takesValue } of createFlagNames()) {
    const trace = env[`npm_config_${name.replace(/-/g, '_')}`];
    if (trace === undefined || !BOOLEAN_TRACE.has(trace) || given.has(name)) continue;
    if (trace === '' && EXPORTED_UNSET.has(name)) continue;
    if (name === 'yes') eatenYes = true;
    flags.push(takesValue ? `--${name} <value>` : trace === 'true' ? `--${name}` : `--no-${name}`);
  }
  return flags.length === 0 ? undefined : { flags, onlyYes: eatenYes && flags.length === 1 };
}

/** What to tell the user. */
export function eatenMessage(eaten: EatenFlags, directory = 'my-scim'): string {
  return (
    `npm kept ${eaten.flags.join(', ')} for itself instead of passing ${eaten.flags.length === 1 ? 'it' : 'them'} to create-scim-server. ` +
    `Put create-scim-server's flags after "--": npm create scim-server@latest ${directory} -- ${eaten.flags.join(' ')}`
  );
}
