import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from '../log.js';

export interface EnvResult {
  /** Keys that hold a generated secret (e.g. SCIM_BEARER_TOKEN); the values are never printed. */
  tokenKeys: string[];
  /** False when a .env already existed and was left as it was. */
  created: boolean;
}

/**
 * Creates .env from the generated .env.example, giving every empty `KEY=` line whose comment
 * block says `generate: token` a fresh random value. An existing .env is never touched.
 */
export async function createEnvFile(targetDir: string, randomToken: () => string, log: Log): Promise<EnvResult> {
  let example: string;
  try {
    example = await readFile(join(targetDir, '.env.example'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    log.warn('No .env.example was generated, so no .env was created.');
    return { tokenKeys: [], created: false };
  }
  const { text, tokenKeys } = fillTokens(example, randomToken);
  try {
    // "wx": never overwrite a .env the user already has; 0600: it holds secrets.
    await writeFile(join(targetDir, '.env'), text, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    log.info('Kept the existing .env.');
    return { tokenKeys, created: false };
  }
  log.success(tokenKeys.length ? `Created .env with a new ${tokenKeys.join(', ')}` : 'Created .env');
  return { tokenKeys, created: true };
}

export function fillTokens(example: string, randomToken: () => string): { text: string; tokenKeys: string[] } {
  const tokenKeys: string[] = [];
  let marked = false;
  const lines = example.split('\n').map((line) => {
    if (/^\s*#/.test(line)) {
      marked ||= /generate:\s*token\b/.test(line);
      return line;
    }
    const key = /^([A-Za-z_][A-Za-z0-9_]*)=(\r?)$/.exec(line);
    const fill = marked && key;
    marked = false;
    if (!fill) return line;
    tokenKeys.push(key[1] ?? '');
    return `${key[1]}=${randomToken()}${key[2]}`;
  });
  return { text: lines.join('\n'), tokenKeys };
}
