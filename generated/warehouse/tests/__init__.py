"""The tests of the Warehouse SDK: every operation against a mock server of the API's spec."""
