// Reads the template folders shipped with the generator. Loaded once and cached: generate()
// stays a pure function of its inputs because the templates are part of the package.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { packageRoot } from '../model/package-root.js';

export interface TemplateFile {
  /** POSIX path relative to the template folder. */
  path: string;
  content: string;
}

export interface Templates {
  dir(name: string): TemplateFile[];
}

function walk(root: string, dir = root): TemplateFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return walk(root, full);
      return [{ path: relative(root, full).split(sep).join('/'), content: readFileSync(full, 'utf8') }];
    });
}

let cached: Templates | undefined;

export function bundledTemplates(): Templates {
  if (cached) return cached;
  const root = join(packageRoot(import.meta.url), 'templates');
  const byDir = new Map<string, TemplateFile[]>();
  cached = {
    dir(name) {
      let files = byDir.get(name);
      if (!files) byDir.set(name, (files = walk(join(root, name))));
      return files;
    },
  };
  return cached;
}
