# RobustSeg student (B0) from the PML-B2 teacher on DELIVER R/D/E/L: AnySeg's data protocol,
# teacher and schedule (configs/anyseg/anyseg_segb0_deliver.py), RobustSeg's losses. For the
# released run's own schedule (256x256 crops, batch 8, 200 epochs) see
# robustseg_segb0_deliver_released-schedule.py.
_base_ = ['../anyseg/anyseg_segb0_deliver.py', '../_base_/models/robustseg_distill_losses.py']
model = {{_base_.robustseg_model}}
