"""Writes the small .npy test fixtures under src/fixtures/ with real numpy (np.save / format.write_array).

    python3 scripts/make-npy-fixtures.py

Values are chosen so float32 conversion is exact except where a test checks rounding.
"""
import os
import numpy as np
from numpy.lib import format as npf

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'fixtures')
os.makedirs(out, exist_ok=True)

def save(name, arr, version=None):
    with open(os.path.join(out, name), 'wb') as f:
        if version is None:
            np.save(f, arr)
        else:
            npf.write_array(f, arr, version=version)

base = np.array([[1.5, -2.25, 3.0], [4.0, 0.1, 1e10]])
save('f8_2x3.npy', base.astype('<f8'))
save('f4_2x3.npy', base.astype('<f4'))
save('i4_2x3.npy', np.array([[1, -2, 3], [4, 5, 2147483647]], dtype='<i4'))
save('i8_2x3.npy', np.array([[1, -2, 3], [4, 5, 1 << 40]], dtype='<i8'))
save('u1_2x3.npy', np.array([[0, 1, 2], [127, 128, 255]], dtype='|u1'))
save('i2_2x3.npy', np.array([[0, -1, 2], [-32768, 32767, 7]], dtype='<i2'))
save('f4_1d.npy', np.arange(5, dtype='<f4'))
save('f4_2x2x2.npy', np.arange(8, dtype='<f4').reshape(2, 2, 2))
save('f4_fortran.npy', np.asfortranarray(base.astype('<f4')))
save('f4_bigendian.npy', base.astype('>f4'))
save('f8_v2.npy', base.astype('<f8'), version=(2, 0))
save('f8_v3.npy', base.astype('<f8'), version=(3, 0))
save('f4_toNpy_ref.npy', np.array([[1.5, -2.25, 3.0], [4.0, 0.5, 6.0]], dtype='<f4'))
save('i4_toNpy_ref.npy', np.array([[1, -2], [3, 4], [5, 6]], dtype='<i4'))
