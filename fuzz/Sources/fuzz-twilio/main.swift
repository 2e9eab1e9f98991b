import FuzzHarness
import HookGateCore

Harness.runFuzzer(.twilio)
