// Every adapter's own questions, with the adapter that asks them: what the CLI flags, the
// prompts, the config file's keys and their validation loop over.

import { allAdapters } from './index.js';
import type { Adapter, Question } from './types.js';

export interface AdapterQuestion {
  adapter: Adapter;
  question: Question;
}

export const adapterQuestions = (): AdapterQuestion[] =>
  allAdapters().flatMap((adapter) => (adapter.questions ?? []).map((question) => ({ adapter, question })));

/** The key yargs gives the question's flag: "auth-header-name" -> "authHeaderName". */
export const flagKey = (question: Question): string => question.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
