"""Criteria sets as data: load and validate a set file, dump it back, diff two versions.

One criteria set version is one YAML file ``data/<code>@<version>.yaml`` (schema documented in
``data/README.md``). Loading turns it into frozen dataclasses; ``CriteriaSetVersion.to_dict()`` gives a
plain JSON-able dict (numbers as int, or float when fractional; dates as ISO strings) and
``CriteriaSetVersion.from_dict()`` reads that dict back, so a database can store a loaded set as JSON.
Numbers are parsed through ``str`` into ``Decimal``, never kept as floats. The movement
(``data/movements/*.yaml``) and the programme targets (``data/targets.yaml``) load through
``load_movement()`` and ``load_targets()``.

Pure Python: nothing here imports Django.
"""

from hoctap.criteria.schema.files import (
    Change,
    diff_versions,
    get_shipped_set,
    load_set_file,
    load_shipped_sets,
    read_yaml,
)
from hoctap.criteria.schema.model import (
    COMPARISONS,
    DATA_DIR,
    INDICATOR_KINDS,
    SUBJECT_KINDS,
    VALIDITY_BASES,
    VALUE_TYPES,
    AuthorityPeriod,
    ChoiceOption,
    CriteriaSchemaError,
    CriteriaSetVersion,
    Criterion,
    DataWindow,
    Deadline,
    Indicator,
    LegalSource,
    Precondition,
    RequirementRule,
    SubjectGroup,
    UpgradeRule,
    Validity,
    number_to_json,
    to_decimal,
)
from hoctap.criteria.schema.movement import (
    Movement,
    Target,
    TargetGroup,
    Targets,
    load_movement,
    load_targets,
    parse_movement,
    parse_targets,
)

__all__ = [
    "COMPARISONS",
    "DATA_DIR",
    "INDICATOR_KINDS",
    "SUBJECT_KINDS",
    "VALIDITY_BASES",
    "VALUE_TYPES",
    "AuthorityPeriod",
    "Change",
    "ChoiceOption",
    "CriteriaSchemaError",
    "CriteriaSetVersion",
    "Criterion",
    "DataWindow",
    "Deadline",
    "Indicator",
    "LegalSource",
    "Movement",
    "Precondition",
    "RequirementRule",
    "SubjectGroup",
    "Target",
    "TargetGroup",
    "Targets",
    "UpgradeRule",
    "Validity",
    "diff_versions",
    "get_shipped_set",
    "load_movement",
    "load_set_file",
    "load_shipped_sets",
    "load_targets",
    "number_to_json",
    "parse_movement",
    "parse_targets",
    "read_yaml",
    "to_decimal",
]
