export { build, MIGRATIONS_DIR, type CasesOptions } from './app';
export { upsertCases, casesByPersonIds, casesByPersonKeys, casesByCodes, type CaseUpsert, type Case, type CaseStatus } from './case-store';
export { caseCodeProblem, MAX_CASE_CODE_LENGTH } from './case-code';
export { CasesErrors } from './errors';
export { PERSON_REF_TABLES } from './store/person-ref-tables';
export { setPersonLinks, type PersonLink } from './store/person-links';
export {
  upsertVenues, upsertCheckIns, upsertMedicalDeclarations, upsertContacts, upsertQuarantineFacilities, upsertQuarantines,
  upsertCheckpoints, upsertLockdownAreas, upsertCitizenReports, upsertDailyReportSubmissions, deleteExpired, type ExpiringKind,
} from './store/records';
export type {
  VenueUpsert, CheckInUpsert, MedicalDeclarationUpsert, ContactUpsert, QuarantineFacilityUpsert, QuarantineUpsert,
  CheckpointUpsert, LockdownAreaUpsert, CitizenReportUpsert, DailyReportSubmissionUpsert, ContactLevel, Exposure, ContactStatus, QuarantineKind,
  QuarantineStatus, DeclarationKind, CitizenReportKind, CitizenReportStatus,
} from './store/tables';
export { traceCase, promoteCandidates, DEFAULT_TRACING, TRACING_SOURCE, type TracingOptions, type Tracing, type Candidate } from './tracing/tracing';
export { f1ContactsAfter, f1ContactsNaming, personsOfCases, type F1Contact, type F1FeedPosition, type PersonNamed, type PersonNames } from './tracing/f1-feed';
export { coLocated, type CoLocation, type CoLocationWindow, type Exposure as TracedExposure } from './tracing/co-location';
export { dailyReports, lateReports, reportDeadline, localDateOf, REPORT_TIME_ZONE, REPORT_DEADLINE_HOUR, type DailyReport, type LateReport } from './report/daily-report';
export { signWebhook, verifyWebhook, WEBHOOK_EVENT_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './webhooks/signature';
export { registerWebhookSubscriber, unregisterWebhookSubscriber, webhookSubscribersOf, webhookDeliveries, type WebhookSubscriber, type WebhookDeliveryRow } from './webhooks/subscriber-store';
export { startWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions, type WebhookRelease } from './webhooks/dispatcher';
export { WEBHOOK_EVENTS, type WebhookEvent } from './webhooks/subscriber-store';
export {
  upsertHomeIsolations, upsertHealthReports, homeIsolationWorklist, localDayStart,
  type HomeIsolationUpsert, type HealthReportUpsert, type ReportedBy, type WorklistStatus, type WorklistEntry, type WorklistQuery,
} from './home-isolation/store';
export { sweepHomeIsolationAlerts, HOME_ISOLATION_EVENTS } from './home-isolation/alerts';
export { plannedEnd, isolationDays, homeIsolationAlerts, homeIsolationAlertsSchema, type HomeIsolationAlerts, type HomeIsolationKind } from './home-isolation/rules';
export { riskLevel, riskThresholds, riskThresholdsSchema, casesLast7Days, type RiskLevel, type RiskThresholds, type RiskInputs } from './risk/risk';
