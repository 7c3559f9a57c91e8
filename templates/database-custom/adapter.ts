import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'database',
  id: 'custom',
  label: 'Custom adapter (your own service or API; starts as an in-memory store)',
  rank: 3,
  dependencies: [],
  devDependencies: [],
  env: [],
  summary: 'a store of your own (`src/store/`, which starts as an in-memory store)',
  requirements: [
    'Your own data source: `src/store/` starts as an in-memory store (lost on restart) to replace; see `docs/custom-store.md`.',
  ],
  layout: [
    { path: '`src/store/`', owner: 'Yours. The store the server uses (`index.ts`), its test database (`testing.ts`) and `rest-api-store.example.ts`, a facade over a REST API to start from.' },
    { path: '`docs/custom-store.md`', owner: 'Yours. The store contract, method by method, and how to write a facade.' },
  ],
  deployNotes: [
    'The store in src/store/ is yours: replace the in-memory reference store with one over your own service before deploying.',
  ],
});
