/** `npm run configuration`: writes CONFIGURATION.md at the repository's root from the variables table. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationReference } from './reference';

const file = join(__dirname, '..', '..', '..', 'CONFIGURATION.md');
writeFileSync(file, configurationReference());
console.log(`Wrote ${file}`);
