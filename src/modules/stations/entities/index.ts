import { DeviceCommand } from './device-command.entity';
import { PowerBank } from './power-bank.entity';
import { Slot } from './slot.entity';
import { StationFavorite } from './station-favorite.entity';
import { StationIssueReport } from './station-issue-report.entity';
import { Station } from './station.entity';
import { StationPresenceLog } from './station-presence-log.entity';

/** The stations module's MikroORM entities (its tables), listed explicitly so discovery works the same in ts, js and jest. */
export const stationsEntities = [DeviceCommand, PowerBank, Slot, StationFavorite, StationIssueReport, Station, StationPresenceLog];
export { DeviceCommand, PowerBank, Slot, StationFavorite, StationIssueReport, Station, StationPresenceLog };
