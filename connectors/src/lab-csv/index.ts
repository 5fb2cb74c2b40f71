/** The CSV testing lab connector (daily files dropped in a folder). */
export { labCsvConnector, labCsvConfigSchema, type LabCsvConfig } from './connector';
export { mapLabCsvRow, LAB_CSV_SOURCE, LAB_CSV_COLUMNS } from './map-row';
export { type LabCsvRow } from './csv-file';
