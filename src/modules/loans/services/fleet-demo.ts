import type { Execute } from '../../../kernel/sql';

/** The fleet demo (Bengaluru): a dealer, an admin, technicians, consumers with KYC, batteries. Phones are the MSG91 sandbox's. */
export const FLEET_DEMO = {
  dealer: { phone: '+919876543210', name: 'Demo Dealer (Bengaluru)' },
  admin: { phone: '+919876543211', name: 'Demo Finance Admin' },
  technicians: [
    { phone: '+919876543220', name: 'Ravi (Bengaluru)', location: 'Bangalore', skills: ['battery_maintenance', 'bms'] },
    { phone: '+919876543221', name: 'Anil (Mysuru)', location: 'Mysore', skills: ['battery_maintenance'] },
    { phone: '+919876543222', name: 'Priya (Bengaluru)', location: 'Bangalore', skills: ['connectivity'] },
  ],
  consumers: [
    { phone: '+919800000001', name: 'Ram Kumar', pan: 'ABCDE1234F', aadhaar: 'XXXX XXXX 1234' },
    { phone: '+919800000002', name: 'Sita Devi', pan: 'FGHIJ5678K', aadhaar: 'XXXX XXXX 5678' },
  ],
  batteries: ['BAT001', 'BAT002', 'BAT003', 'BAT004'],
};

/** Loads the fleet demo; running it again changes nothing. BAT001 and BAT002 are assigned to the two consumers. */
export async function seedFleetDemo(q: Execute): Promise<void> {
  const member = async (m: { phone: string; name: string; location?: string; skills?: string[] }, type: string) => {
    await q(`insert into fleet_members (phone, user_type, name, location, skills) values (?, ?, ?, ?, ?::text[]) on conflict (phone) do nothing`, [
      m.phone,
      type,
      m.name,
      m.location ?? 'Bangalore',
      `{${(m.skills ?? []).join(',')}}`,
    ]);
  };
  await member(FLEET_DEMO.dealer, 'dealer');
  await member(FLEET_DEMO.admin, 'admin');
  for (const t of FLEET_DEMO.technicians) await member(t, 'technician');
  const [dealer] = await q(`select id from fleet_members where phone = ?`, [FLEET_DEMO.dealer.phone]);
  for (const c of FLEET_DEMO.consumers)
    await q(
      `insert into fleet_consumers (dealer_id, name, phone, kyc_status, pan, aadhaar_masked) values (?, ?, ?, 'verified', ?, ?) on conflict (dealer_id, phone) do nothing`,
      [dealer.id, c.name, c.phone, c.pan, c.aadhaar],
    );
  for (const [i, serial] of FLEET_DEMO.batteries.entries()) {
    const owner = FLEET_DEMO.consumers[i]?.phone ?? null;
    await q(
      `insert into fleet_batteries (serial_number, dealer_id, owner_id, health_score)
       values (?, ?, (select id from fleet_consumers where dealer_id = ? and phone = ?), ?) on conflict (serial_number) do nothing`,
      [serial, dealer.id, dealer.id, owner, 100 - i * 7],
    );
  }
}
