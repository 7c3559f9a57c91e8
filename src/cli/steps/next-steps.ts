import { DOCS_PATH, firstRunSteps } from '../../emit/first-run.js';
import { IDP_SETUP_PATH } from '../../emit/idp-setup.js';
import type { ProjectOptions, RunOptions } from '../../options.js';
import { cdCommand, installCommand, runCommand } from '../commands.js';
import type { Log } from '../log.js';
import type { EnvResult } from './env.js';

export interface NextStepsInput {
  project: Pick<ProjectOptions, 'projectName' | 'port' | 'basePath' | 'database' | 'auth' | 'framework'>;
  run: Pick<RunOptions, 'targetDir' | 'packageManager'>;
  cwd: string;
  /** Whether dependencies are installed (false after --no-install or a failed install). */
  installed: boolean;
  env: EnvResult;
}

/** The closing message: numbered commands to run, the SCIM URL, and where the token is. */
export function printNextSteps({ project, run, cwd, installed, env }: NextStepsInput, log: Log): void {
  const pm = run.packageManager;
  const variant = firstRunSteps(project);
  const before = variant.filter((s) => s.command).map((s) => `${s.command}   # ${plain(s.text)}`);
  const commands = [cdCommand(cwd, run.targetDir), installed ? undefined : installCommand(pm), ...before, runCommand(pm, 'dev')];
  const steps = commands.filter((c): c is string => c !== undefined);

  log.info(`\nCreated ${project.projectName} in ${run.targetDir}.\n\nNext steps:`);
  steps.forEach((command, i) => log.info(`  ${i + 1}. ${command}`));
  for (const note of variant.filter((s) => !s.command)) log.info(`  - ${plain(note.text)}`);
  log.info(`\nSCIM base URL: http://localhost:${project.port}${project.basePath}`);
  log.info(`API docs:      http://localhost:${project.port}${DOCS_PATH} (while the server runs in development)`);
  if (env.tokenKeys.length > 0) {
    const keys = env.tokenKeys.join(', ');
    const one = env.tokenKeys.length === 1;
    const origin = env.created ? (one ? 'was generated into' : 'were generated into') : one ? 'is in' : 'are in';
    const what = one ? 'The secret' : 'The secrets';
    log.info(
      `${what} ${origin} .env (${keys}). ${IDP_SETUP_PATH} says which of them Okta and ` +
        'Microsoft Entra ID need, and where; keep them secret.',
    );
  }
}

const plain = (markdown: string) => markdown.replace(/`/g, '');
