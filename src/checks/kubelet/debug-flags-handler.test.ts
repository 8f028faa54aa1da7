import { debugFlagsHandler } from './debug-flags-handler.ts';
import { subHandlerCases } from './sub-handler-cases.ts';

subHandlerCases(debugFlagsHandler);
