/** The FHIR R4 testing lab connector. */
export { labFhirConnector, labFhirConfigSchema, type LabFhirConfig } from './connector';
export { mapFhirObservation, LAB_FHIR_SOURCE } from './map-observation';
export { fhirCursorFromDate, type FhirCursor } from './feed-cursor';
export { type LabFhirRecord } from './resources';
export { LabErrors } from './lab-errors';
