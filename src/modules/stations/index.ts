/**
 * Stations: kiosks, their bays and the power banks in them, what kiosks report about themselves
 * (presence, heartbeats, slot events), remote commands (the `station-command:<sn>:<uuid>`
 * workflow and the device activities every hardware workflow proxies), favorites and issue
 * reports. Other modules read stations through stationReader and move power banks through
 * powerBankInventory; nobody else writes these tables.
 */
export { stationsEntities } from './entities';
export { STATION_ISSUE_STATUSES, STATION_ISSUE_TYPES, type StationIssueStatus, type StationIssueType } from './entities/station-issue-report.entity';
export { POWER_BANK_STATUSES, type PowerBankStatus } from './entities/power-bank.entity';
export { haversineMeters, EARTH_RADIUS_M } from './rules/availability';
export { demoStations, demoSlots, demoStationSn, DEMO_SLOTS_PER_STATION, type DemoStation } from './rules/demo';

export { StationQueryService, nearbyQuery } from './services/station-query.service';
export { StationEngagementService } from './services/station-engagement.service';
export { StationAdminService, type StationInput, type StationPatch, type OpenRentalBays, type AdminStation } from './services/station-admin.service';
export { StationCommandService, REMOTE_COMMANDS, type RemoteCommand } from './services/station-command.service';
export { stationReader, type StationReader } from './services/station-reader';
export { powerBankInventory, lockPowerBank } from './services/inventory';
export { stationHoldings } from './services/holdings';
export { kioskTime } from './rules/kiosk-time';
export { stationPresence, type DockedReport, type StationPresence } from './services/presence';
export { eraseStationData, stationUsage } from './services/account-data';

export { createDeviceActivities, type DeviceActivityDeps } from './activities/device.activities';
export { stationCommandWorkflowId, type StationCommandInput, type StationCommandWorkflow } from './workflows/definitions';
export { stationAnalytics, type StationAnalytics, type StationPeriodStats } from './services/station-analytics';
