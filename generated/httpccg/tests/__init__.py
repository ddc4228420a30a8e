"""The tests of the httpCCG SDK: every operation against a mock server of the API's spec."""
