"""Support code the tests import (not tests themselves): the headless
browser and HTTP harness for the report site (`support.browser`)."""
