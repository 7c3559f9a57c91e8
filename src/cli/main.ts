// create-scim-server: ask everything first, then run the steps in order.

import { hideBin } from 'yargs/helpers';
import { selectedAdapters } from '../adapters/index.js';
import { parseArgs } from './args.js';
import type { CliDeps } from './context.js';
import { invokedAsCli } from './entry.js';
import { EXIT_CANCELLED, reportError, UsageError } from './errors.js';
import { eatenByNpm, eatenMessage } from './npm-flags.js';
import { createLog } from './log.js';
import { collectAnswers } from './prompts.js';
import { resolveOptions } from './resolve-options.js';
import { checkPackageManager } from './steps/check-package-manager.js';
import { checkTarget } from './steps/check-target.js';
import { undoInterrupted } from './steps/interrupted.js';
import { printPlan } from './steps/dry-run.js';
import { createEnvFile } from './steps/env.js';
import { generatePlan } from './steps/generate.js';
import { initGit } from './steps/git.js';
import { installDependencies } from './steps/install.js';
import { loadSchemas } from './steps/load-schemas.js';
import { regenerate } from './regenerate.js';
import { printNextSteps } from './steps/next-steps.js';
import { applyConfigFile } from './steps/read-config.js';
import { writeFiles } from './steps/write.js';

/** Runs the CLI and returns its exit code. */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  const log = createLog(io);
  try {
    // `check` has its own flags and parser (src/check/args.ts); --help lists it from args.ts.
    if (argv[0] === 'check') return await check(argv, deps);
    if (argv[0] !== 'regenerate') {
      // Before parsing: the values of eaten flags are left as stray arguments yargs would refuse.
      const eaten = eatenByNpm(argv, io.env);
      if (eaten?.onlyYes) log.warn(`${eatenMessage(eaten, directoryOf(argv))} (ignore this if --yes was for npx).`);
      else if (eaten) throw new UsageError(eatenMessage(eaten, directoryOf(argv)));
    }
    const parsed = await parseArgs(argv);
    if (parsed.kind === 'exit') {
      log.raw(`${parsed.output}\n`);
      return parsed.exitCode;
    }
    if (parsed.kind === 'regenerate') return await regenerate(parsed.flags, deps, log);
    const flags = await applyConfigFile(parsed.flags, io.cwd, log);
    const answers = await collectAnswers(flags, io, deps.ask);
    const { project, run, schemaPaths, resourceTypePaths } = resolveOptions(flags, answers, {
      cwd: io.cwd,
      npmConfigUserAgent: io.env.npm_config_user_agent,
    });

    for (const adapter of selectedAdapters(project)) if (adapter.warning) log.warn(adapter.warning);
    const before = await checkTarget(run, log);
    if (run.install && !run.dryRun) await checkPackageManager(run.packageManager, flags.packageManager !== undefined, io.cwd, deps.exec);
    const model = await loadSchemas(project, { schemaPaths, resourceTypePaths }, io.cwd, deps.loadSchemaModel, log);
    const plan = await generatePlan(project, model, deps, log);
    if (run.dryRun) {
      printPlan(plan, run.targetDir, log);
      return 0;
    }
    // Ctrl-C from here on (the install takes minutes) undoes what this run made; npm gets it too.
    let interrupted = false;
    const stopListening = deps.onInterrupt(() => void (interrupted = true));
    let env: Awaited<ReturnType<typeof createEnvFile>>;
    let installed: boolean;
    try {
      await writeFiles(plan, run.targetDir, deps.writePlan, log);
      env = await createEnvFile(run.targetDir, deps.randomToken, log);
      installed = !interrupted && run.install && (await installDependencies(run.targetDir, io.cwd, run.packageManager, deps.exec, log));
    } finally {
      stopListening();
    }
    if (interrupted) {
      await undoInterrupted(run.targetDir, before, log);
      return EXIT_CANCELLED;
    }
    if (run.git) await initGit(run.targetDir, deps.exec, log);
    printNextSteps({ project, run, cwd: io.cwd, installed, env }, log);
    // A failed install still leaves a usable project, but scripts must see the failure.
    return run.install && !installed ? 1 : 0;
  } catch (error) {
    return reportError(error, log, io.env);
  }
}

const directoryOf = (argv: readonly string[]) => (argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined);

/** `create-scim-server check`: Ctrl-C stops the checks, which still delete what they created. */
async function check(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { runCheck } = await import('../check/index.js');
  const controller = new AbortController();
  const stop = deps.onInterrupt(() => controller.abort());
  try {
    return await runCheck(argv, { ...deps.io, fetch: deps.fetch, readFile: deps.readFile, writeFile: deps.writeFile, signal: controller.signal });
  } finally {
    stop();
  }
}

if (invokedAsCli(import.meta.url)) {
  // Loaded only here so tests that import main() never pull in the real writer, execa or prompts.
  const { nodeDeps } = await import('./runtime.js');
  process.exitCode = await main(hideBin(process.argv), nodeDeps());
}
