#!/usr/bin/env node
// The `venvfarm` command: runs the built CLI (npm ci builds it through the `prepare` script).
require('../dist/apps/cli/main.js');
