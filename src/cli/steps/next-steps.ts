import { IDP_SETUP_PATH } from '../../emit/idp-setup.js';
import type { ProjectOptions, RunOptions } from '../../options.js';
import { cdCommand, installCommand, runCommand } from '../commands.js';
import type { Log } from '../log.js';
import type { EnvResult } from './env.js';

export interface NextStepsInput {
  project: Pick<ProjectOptions, 'projectName' | 'port' | 'basePath'>;
  run: Pick<RunOptions, 'targetDir' | 'packageManager'>;
  cwd: string;
  /** Whether dependencies are installed (false after --no-install or a failed install). */
  installed: boolean;
  env: EnvResult;
}

/** The closing message: numbered commands to run, the SCIM URL, and where the token is. */
export function printNextSteps({ project, run, cwd, installed, env }: NextStepsInput, log: Log): void {
  const pm = run.packageManager;
  const commands = [cdCommand(cwd, run.targetDir), installed ? undefined : installCommand(pm), runCommand(pm, 'start')];
  const steps = commands.filter((c): c is string => c !== undefined);

  log.info(`\nCreated ${project.projectName} in ${run.targetDir}.\n\nNext steps:`);
  steps.forEach((command, i) => log.info(`  ${i + 1}. ${command}`));
  log.info(`\nSCIM base URL: http://localhost:${project.port}${project.basePath}`);
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
