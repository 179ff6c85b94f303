# MAGIC with the ASM's selected modalities passed through the inference MAM ("another MAM"
# read as another pass, not another module; MAGICEncoderDecoder decision 2).
_base_ = ['../baselines/magic_segb0_synthetic.py']
model = dict(shared_selection_mam=True)
