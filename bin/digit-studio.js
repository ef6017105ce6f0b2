#!/usr/bin/env node
// The CLI runs the same main-side code as the app. It is bundled by `npm run build:node`, which
// `npm install` runs through the prepare script.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'cli', 'cli.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('digit-studio: the CLI is not built yet; run `npm run build:node` first.\n');
  process.exit(2);
}
require(entry).runFromProcess();
