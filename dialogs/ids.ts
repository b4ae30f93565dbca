/** Dialog ids, in one place. */
export const DIALOG_IDS = {
  setup: 'setup',
  loop: 'setup.loop',
  environment: 'setup.step.environment',
  keyVault: 'setup.step.keyVault',
  connectedApps: 'setup.step.connectedApps',
  review: 'setup.step.review',
  resumeOffer: 'setup.prompt.resumeOffer',
  confirmDiscard: 'setup.prompt.confirmDiscard',
} as const;
