import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadDeployConfig } from '../lib/config.ts';
import { buildStacks } from '../lib/stacks.ts';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
buildStacks(app, loadDeployConfig(app.node));
app.synth();
