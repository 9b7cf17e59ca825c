import type { MikroORM } from '@mikro-orm/postgresql';
import { Errors } from '../../../kernel/errors';
import { executor } from '../../../kernel/sql';
import { boxProblem, MAX_BOX_RESULTS, type BBox } from '../rules/bbox';

export interface ChargerView {
  _id: string;
  deviceNumber: string;
  price: number;
  waitingPrice: number;
  location: [number, number];
  state: 'Idle' | 'Busy' | 'Repair' | 'Error';
}

/** MNT minor units (möngö) → tögrög, as the seed's numbers are. */
export const toTugrik = (minor: number) => Number(minor) / 100;

/** The chargers the app's map shows. */
export class ChargerQueryService {
  constructor(private readonly deps: { orm: MikroORM }) {}

  /** Chargers inside the box (edges included), through the GiST index on their point. */
  async byLocation(box: BBox): Promise<ChargerView[]> {
    const problem = boxProblem(box);
    if (problem) throw Errors.validation([{ field: 'query', message: problem, code: 'invalid_box' }]);
    const rows = await executor(this.deps.orm)(
      `select id, device_number, price, waiting_price, lng, lat, state from ev_chargers
       where point(lng, lat) <@ box(point(?, ?), point(?, ?)) order by id limit ?`,
      [box.minLng, box.minLat, box.maxLng, box.maxLat, MAX_BOX_RESULTS],
    );
    return rows.map((r) => ({
      _id: r.id,
      deviceNumber: r.device_number,
      price: toTugrik(r.price),
      waitingPrice: toTugrik(r.waiting_price),
      location: [Number(r.lng), Number(r.lat)],
      state: r.state,
    }));
  }
}
