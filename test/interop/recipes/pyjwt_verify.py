"""PyJWT's documented recipe (PyJWKClient + jwt.decode) for test/interop: a JSON request in argv[1],
the verdict as JSON on stdout."""
import json
import sys

import jwt

request = json.loads(sys.argv[1])
token = request["token"]
try:
    jwks_client = jwt.PyJWKClient(request["jwksUri"])
    signing_key = jwks_client.get_signing_key_from_jwt(token)
    claims = jwt.decode(
        token,
        signing_key.key,
        algorithms=[request["algorithm"]],
        audience=request["audience"],
        issuer=request["issuer"],
    )
    print(json.dumps({"sub": claims["sub"]}))
except jwt.PyJWTError as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
