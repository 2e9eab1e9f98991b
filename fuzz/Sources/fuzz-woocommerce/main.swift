import FuzzHarness
import HookGateCore

Harness.runFuzzer(.woocommerce)
