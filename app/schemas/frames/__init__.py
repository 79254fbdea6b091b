"""Models of every lab's frames and result as the API sends them (published as JSON Schema).

Each family module here holds a lab's frame model (a `RootModel` over a union discriminated by `kind`) and its
result model; the lab's `Algorithm` carries them (`frame_model`, `result_model`). `GET /api/v1/algorithms/{id}`
publishes their `model_json_schema()` as `frame_schema` and `result_schema`, and the contract test
(`tests/test_frame_schemas.py`) validates every frame and result of every lab against them: a lab without
models fails it.
"""
