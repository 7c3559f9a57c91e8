#!/usr/bin/env node
import('../dist/src/cli/main.js').catch((error) => {
  // A fresh clone has no dist/ until it is built (the registry's package ships it).
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/src/cli/main.js')) {
    console.error('✖ create-scim-server is not built yet: run "npm run build" in its folder first.');
    process.exitCode = 1;
  } else {
    throw error;
  }
});
