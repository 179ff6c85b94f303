"""Package setup for mmseg-anyseg, the AnySeg plugin for MMSegmentation."""
import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py


def read_version() -> str:
    namespace: dict = {}
    exec(Path('mmseg_anyseg/version.py').read_text(), namespace)
    return namespace['__version__']


class BuildPyWithConfigs(build_py):
    """Also ship ``configs/`` as ``mmseg_anyseg/.mim/configs`` (OpenMMLab's layout)."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / 'mmseg_anyseg' / '.mim' / 'configs'
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree('configs', target, ignore=shutil.ignore_patterns('__pycache__'))


setup(
    name='mmseg-anyseg',
    cmdclass={'build_py': BuildPyWithConfigs},
    version=read_version(),
    description='AnySeg: robust anymodal semantic segmentation with unimodal '
    'and cross-modal distillation, as an MMSegmentation plugin',
    long_description=Path('README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.10',
    packages=find_packages(exclude=('tests', 'tests.*', 'configs', 'tools')),
    install_requires=[
        'torch>=2.1',
        'mmengine>=0.10.7,<0.11',
        'mmcv>=2.0.0,<2.2.0',
        'mmsegmentation>=1.2.2,<1.3',
        'ftfy',
        'regex',
        'numpy<2',
        'matplotlib',
        'prettytable',
        'tqdm',
        # mmengine 0.10 imports pkg_resources, which setuptools 81 removed.
        'setuptools<81',
    ],
    entry_points={'console_scripts': ['mmseg-anyseg-config=mmseg_anyseg.cli.configs:main']},
    extras_require={
        'tests': ['pytest>=7', 'pytest-timeout', 'scikit-learn', 'hypothesis'],
        'mmpretrain': ['mmpretrain>=1.2.0'],
        # ONNX export and onnxruntime inference (tools/deployment/)
        'deploy': ['onnx>=1.16', 'onnxruntime>=1.18'],
        # MUSES' raw event files (tools/dataset_converters/muses.py)
        'muses': ['h5py', 'hdf5plugin'],
        # the browser demo (tools/demo/anymodal_app.py) and its browser test; pandas 2.2 is the
        # last that Gradio accepts with numpy<2
        'demo': ['gradio', 'pandas<2.3', 'playwright'],
    },
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
)
