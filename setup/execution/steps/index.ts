/**
 * Every kind of execution step and its body, one file each. A new step is its file, one line
 * here, its kind in setup/model/execution.ts and its place in a plan (../plans.ts).
 */
import type { StepKind } from '../../model/execution.js';
import { applicationUnlinkStep } from './application-unlink.js';
import { connectedApplicationStep } from './connected-application.js';
import { environmentChangeStep } from './environment-change.js';
import { environmentPublishStep } from './environment-publish.js';
import { environmentRecordStep } from './environment-record.js';
import { environmentRetireStep } from './environment-retire.js';
import { keyVaultStep } from './key-vault.js';
import type { StepBody } from './step.js';
import { versionCheckStep } from './version-check.js';

export const STEP_BODIES: Readonly<Record<StepKind, StepBody>> = {
  keyVault: keyVaultStep,
  environmentRecord: environmentRecordStep,
  environmentPublish: environmentPublishStep,
  connectedApplication: connectedApplicationStep,
  versionCheck: versionCheckStep,
  environmentChange: environmentChangeStep,
  applicationUnlink: applicationUnlinkStep,
  environmentRetire: environmentRetireStep,
};
