/**
 * @health-hub/connectors: the connector SDK and runtime (BullMQ schedules, cursors, retries,
 * rejected records, run history) and one connector per upstream system. Not built yet: until
 * then the synthetic population reaches the stores through `hub`'s seeder, which calls the
 * same store upserts the connectors will.
 */
export {};
