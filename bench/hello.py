"""The ceiling: a bare FastAPI hello endpoint on uvicorn, measured by the same load generator."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}
