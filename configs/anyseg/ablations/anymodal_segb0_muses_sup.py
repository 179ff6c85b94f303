# Table 3, first row: L_sup only, i.e. the B0 segmentor trained with anymodal
# dropout and no teacher.
_base_ = ['../../pml/pml_segb0_muses.py']
model = dict(data_preprocessor={{_base_.student_data_preprocessor}})
