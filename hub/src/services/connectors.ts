import { AVAILABLE_CONNECTORS, defineHouseholdContactsConnector, type AvailableConnector } from '@health-hub/connectors';
import type { Settings } from '../configuration/settings';

/**
 * The connectors a worker or scheduler may run, as the settings declare them: the household
 * contacts run every HUB_HOUSEHOLD_CONTACTS_EVERY_MS when it is set. Worker and scheduler read
 * the same declarations, so the schedule one registers is the one the other runs.
 */
export function availableConnectors(settings: Settings): Readonly<Record<string, AvailableConnector>> {
  const everyMs = settings.integer('HUB_HOUSEHOLD_CONTACTS_EVERY_MS');
  if (everyMs === undefined) return AVAILABLE_CONNECTORS;
  const householdContacts = AVAILABLE_CONNECTORS['household-contacts']!;
  return { ...AVAILABLE_CONNECTORS, 'household-contacts': { ...householdContacts, connector: defineHouseholdContactsConnector(everyMs) } };
}
