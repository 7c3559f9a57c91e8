// The test database of the generated tests comes from your store too (src/store/testing.ts):
// only you know what a test instance of your service needs.

export { testDatabase } from '../../store/testing.js';
