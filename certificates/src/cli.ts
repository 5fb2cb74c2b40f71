#!/usr/bin/env tsx
import { runKeyCli } from './key-cli';

runKeyCli(process.argv.slice(2), process.env, (line) => console.log(line)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
