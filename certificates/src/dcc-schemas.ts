import schema100 from './data/eu-dcc-schema/DCC.combined-schema-1.0.0.json';
import schema101 from './data/eu-dcc-schema/DCC.combined-schema-1.0.1.json';
import schema110 from './data/eu-dcc-schema/DCC.combined-schema-1.1.0.json';
import schema120 from './data/eu-dcc-schema/DCC.combined-schema-1.2.0.json';
import schema121 from './data/eu-dcc-schema/DCC.combined-schema-1.2.1.json';
import schema130 from './data/eu-dcc-schema/DCC.combined-schema-1.3.0.json';
import schema131 from './data/eu-dcc-schema/DCC.combined-schema-1.3.1.json';
import schema132 from './data/eu-dcc-schema/DCC.combined-schema-1.3.2.json';
import schema133 from './data/eu-dcc-schema/DCC.combined-schema-1.3.3.json';

/** The official DCC schemas as released, unmodified (`data/eu-dcc-schema/`), by version. */
export const DCC_SCHEMAS: Readonly<Record<string, object>> = Object.freeze({
  '1.0.0': schema100, '1.0.1': schema101, '1.1.0': schema110, '1.2.0': schema120, '1.2.1': schema121,
  '1.3.0': schema130, '1.3.1': schema131, '1.3.2': schema132, '1.3.3': schema133,
});
