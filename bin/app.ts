import { App } from 'aws-cdk-lib';
import { RevenueSegmentsStack } from '../lib/revenue-segments-stack.ts';

const app = new App();
new RevenueSegmentsStack(app, 'RevenueSegments');
app.synth();
