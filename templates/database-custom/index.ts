// The store factory the composition root calls. A custom store is yours, so this only hands over
// to src/store/index.ts, which regeneration never touches: that is where you choose the store.

export { createStore } from '../../store/index.js';
