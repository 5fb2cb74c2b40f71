/**
 * Codes of the two lab connectors. They follow `ConnectorErrors` (`HUB_CONNECTOR_*`) and belong
 * beside them in `src/errors.ts`; kept here until they are moved there.
 */
export const LabErrors = {
  /** The FHIR lab refused our token (HTTP 401). Not retried. */
  FHIR_UNAUTHORIZED: 'HUB_CONNECTOR_LAB_FHIR_UNAUTHORIZED',
  /** The FHIR lab refused our search (HTTP 400, an OperationOutcome), or its `next` link leaves the base URL. Not retried. */
  FHIR_BAD_REQUEST: 'HUB_CONNECTOR_LAB_FHIR_BAD_REQUEST',
  /** A file in the CSV lab's folder is not RFC 4180 CSV (an unclosed quote); the message names the file and line. Not retried. */
  CSV_BAD_FILE: 'HUB_CONNECTOR_LAB_CSV_BAD_FILE',
  /** The CSV lab's folder cannot be read (missing, no permission). Retried with backoff. */
  CSV_FOLDER_UNREADABLE: 'HUB_CONNECTOR_LAB_CSV_FOLDER_UNREADABLE',
} as const;
