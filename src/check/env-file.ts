// --env-file: KEY=VALUE lines (the .env a generated project keeps its secrets in), so a secret
// can be named with --token-env and never typed on a command line. Variables already in the
// environment win, as with `node --env-file`.

/** Parses a dotenv file: `KEY=VALUE`, `export KEY=VALUE`, quoted values, `#` comments. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (!match) continue;
    let value = match[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    } else {
      // An unquoted value ends at a comment that follows whitespace.
      value = value.replace(/\s+#.*$/, '');
    }
    vars[match[1]!] = value;
  }
  return vars;
}
