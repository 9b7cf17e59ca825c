import { User } from './identity/user.entity';
import { DeviceCommand } from './stations/device-command.entity';
import { PowerBank } from './stations/power-bank.entity';
import { Slot } from './stations/slot.entity';
import { Station } from './stations/station.entity';
import { RentalPackage } from './rentals/rental-package.entity';
import { moneyEntities } from './money-entities';

/** Every entity, listed explicitly so discovery works the same in ts, js and jest. */
export const entities = [User, Station, Slot, PowerBank, RentalPackage, DeviceCommand, ...moneyEntities];
export { User, Station, Slot, PowerBank, RentalPackage, DeviceCommand };
export * from './money-entities';
