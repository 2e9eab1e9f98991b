import FuzzHarness
import HookGateCore

Harness.runFuzzer(.shopify)
