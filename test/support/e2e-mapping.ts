/** A mapping in the emulator's seed names, small enough to read in a test. */
export const E2E_MAPPING = `
version: 1
defaults:
  division: Home
  leaver: { transferTo: supervisor, fallback: queue, retentionDays: 30 }
profiles:
  - match: { title: "Technical Support" }
    division: Support
    roles:
      - { name: Agent }
      - { name: Employee }
    queues: [Priority_Support_Queue]
    skills: [{ name: Network_Troubleshooting, proficiency: 3 }]
    languages: [{ name: English, proficiency: 5 }]
    supervisor: sup.support@example.com
  - match: { title: "Senior Technical Support" }
    division: Support
    roles:
      - { name: Agent }
      - { name: Employee }
      - { name: Knowledge Base Editor, division: "*" }
    queues: [Priority_Support_Queue, Tier_2_Escalation]
    skills: [{ name: Network_Troubleshooting, proficiency: 5 }, { name: Product_Knowledge, proficiency: 4 }]
    languages: [{ name: English, proficiency: 5 }, { name: French, proficiency: 3 }]
    supervisor: sup.support@example.com
  - match: { title: "Sales Representative" }
    division: Sales
    roles:
      - { name: Agent }
    queues: [Inbound_Sales]
    skills: [{ name: Account_Management, proficiency: 3 }]
    languages: [{ name: Spanish, proficiency: 3 }]
`;
