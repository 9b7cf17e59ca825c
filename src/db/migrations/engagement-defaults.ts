/**
 * Default content seeded by Migration20261123000200_engagement. Frozen with that migration:
 * admins edit the live copies through PUT /api/admin/content/{page} and the FAQ endpoints.
 */
export const DEFAULT_CONTENT_PAGES = [
  {
    slug: 'terms-of-service',
    title: 'Terms of Service',
    body: [
      '# Terms of Service',
      'By creating a ChargeGhar account you agree to these terms.',
      '## Renting a power bank',
      '- You must be at least 16 years old, have a complete profile and an approved KYC (Nepali citizenship) to rent.',
      '- A rental starts when the kiosk ejects a power bank and ends when any ChargeGhar kiosk accepts it back.',
      '- Prices are shown in NPR before you rent. Late returns are charged at the published overdue rate.',
      '- A power bank not returned within 5 days is treated as lost and its replacement price is charged.',
      '## Wallet and points',
      '- Wallet balance is prepaid NPR and is not transferable. Points have no cash value (10 points = NPR 1 in the app).',
      '- Accounts with unpaid dues cannot start new rentals until the dues are cleared.',
      '## Your responsibilities',
      'Use the power bank with care, do not open, puncture or expose it to water or heat, and report damage through the app.',
      '## Changes',
      'We may update these terms; the app shows the date of the latest version and asks you to accept material changes.',
    ].join('\n'),
    data: { version: '1.0', effective_date: '2026-01-01' },
  },
  {
    slug: 'privacy-policy',
    title: 'Privacy Policy',
    body: [
      '# Privacy Policy',
      'We collect the data needed to run the service: your phone number or email, profile, KYC documents, rentals, payments and the location of stations you use.',
      '- KYC documents are used only to verify your identity as required for rentals in Nepal and are visible only to our verification staff.',
      '- Payment card data is handled by the payment providers (Khalti, eSewa, Stripe); we never store card numbers.',
      '- We do not sell personal data. We share it only with providers that process it for us, or when the law requires it.',
      '- You can delete your account from the app; transaction records we must keep by law are anonymised.',
      'Questions: privacy@chargeghar.com',
    ].join('\n'),
    data: { version: '1.0', effective_date: '2026-01-01' },
  },
  {
    slug: 'about',
    title: 'About ChargeGhar',
    body: [
      '# About ChargeGhar',
      'ChargeGhar is a shared power-bank network for Nepal. Scan the QR code on any kiosk in a mall, restaurant or public place, take a charged power bank, and return it to any ChargeGhar station.',
      'Pay with Khalti, eSewa, cards or your ChargeGhar wallet, and earn points every time you rent.',
    ].join('\n'),
    data: { company: 'ChargeGhar Pvt. Ltd.', founded: 2025, country: 'NP' },
  },
  {
    slug: 'contact',
    title: 'Contact us',
    body: 'Our support team answers every day from 8 AM to 8 PM (Nepal time).',
    data: {
      email: 'support@chargeghar.com',
      phone: '+977-1-5900000',
      whatsapp: '+9779800000000',
      address: 'Kathmandu, Bagmati Province, Nepal',
      hours: 'Every day, 08:00-20:00 NPT',
      social: { facebook: 'https://facebook.com/chargeghar', instagram: 'https://instagram.com/chargeghar' },
    },
  },
  {
    slug: 'app-updates',
    title: 'App updates',
    body: [
      '# What is new',
      '## 1.0.0',
      '- Rent and return power banks at any ChargeGhar kiosk.',
      '- Wallet top-up with Khalti, eSewa and cards; reward points.',
      '- Station map with live availability.',
    ].join('\n'),
    data: {},
  },
] as const;

export const DEFAULT_FAQ = [
  {
    category: 'rentals',
    question: 'How do I rent a power bank?',
    answer: 'Open the app, scan the QR code on the kiosk, choose a package and pay. The kiosk ejects a charged power bank.',
  },
  {
    category: 'rentals',
    question: 'Where can I return it?',
    answer: 'At any ChargeGhar station with an empty slot. The map shows how many empty slots each station has.',
  },
  {
    category: 'rentals',
    question: 'What happens if I return it late?',
    answer: 'Late returns are charged at the overdue rate shown in the package. After 5 days the power bank is treated as lost.',
  },
  {
    category: 'account',
    question: 'Why do I need to complete my profile and KYC?',
    answer:
      'Rentals in Nepal require a verified identity. Complete your profile and upload both sides of your Nepali citizenship certificate; verification usually takes less than a day.',
  },
  {
    category: 'account',
    question: 'My KYC was rejected. What now?',
    answer: 'The app shows the reason. Upload clear photos of both sides of your citizenship certificate and submit again.',
  },
  {
    category: 'payments',
    question: 'Which payment methods can I use?',
    answer: 'Khalti, eSewa, cards (Stripe) and your ChargeGhar wallet. Points can pay for all or part of a rental (10 points = NPR 1).',
  },
  {
    category: 'payments',
    question: 'How do I get a refund?',
    answer:
      'If a payment failed but money left your account, request a refund from the transaction in your history. Refunds are reviewed within 3 working days.',
  },
  {
    category: 'stations',
    question: 'The kiosk did not eject a power bank.',
    answer: 'You are not charged when a kiosk fails to eject. Report the issue on the station page so our team can fix it.',
  },
] as const;
